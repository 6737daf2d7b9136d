import type { IncomingMessage } from "node:http";
import { isIPv6 } from "node:net";

/**
 * The address a request comes from, as the limits count it. Behind `trustProxy` reverse proxies
 * (ATRIUM_TRUST_PROXY), the client is the entry that many hops from the right of
 * X-Forwarded-For (what the nearest trusted proxy saw); with 0 the header is ignored, since a
 * client can write anything there. IPv6 clients are counted per /64 network: one home or school
 * connection holds a whole /64, so counting single addresses would count nothing.
 */
export function clientAddress(req: IncomingMessage, trustProxy = 0): string {
  let address = req.socket.remoteAddress ?? "unknown";
  if (trustProxy > 0) {
    const header = req.headers["x-forwarded-for"];
    const hops = (Array.isArray(header) ? header.join(",") : (header ?? "")).split(",").map((s) => s.trim()).filter(Boolean);
    const fromProxy = hops[hops.length - trustProxy];
    if (fromProxy) address = fromProxy;
  }
  return addressKey(address);
}

/** One key per IPv4 address and per IPv6 /64 network; IPv4-mapped IPv6 addresses count as IPv4. */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address;
  const [head = "", tail = ""] = address.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = address.includes("::") ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.toLowerCase().replace(/^0+(?=.)/, "")).join(":")}::/64`;
}
