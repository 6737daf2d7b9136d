/** An upload's answer: the HTTP status and the parsed JSON body. */
export interface UploadAnswer {
  status: number;
  body: unknown;
}

/**
 * POSTs a file and reports the bytes sent as they go. XMLHttpRequest, because `fetch` cannot
 * report upload progress in browsers yet; a 40 MB scan on a school link takes long enough that a
 * registrar must see it moving.
 */
export function uploadWithProgress(url: string, file: Blob, onProgress: (sent: number, total: number) => void): Promise<UploadAnswer> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = { error: `the server answered ${xhr.status} without JSON` };
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new Error("the upload was interrupted (network error)"));
    xhr.onabort = () => reject(new Error("the upload was cancelled"));
    xhr.send(file);
  });
}
