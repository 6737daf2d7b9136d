/**
 * The exhibition document: schema, validation, migrations and pure operations.
 * Plain data only: nothing here imports React, three or Yjs.
 */
export * from "./lang";
export * from "./licences";
export * from "./schema";
export * from "./lesson-plans";
export * from "./migrate";
export * from "./validate";
export * from "./operations";
export * from "./templates";
export * from "./catalogue";
export * from "./publishing";
export * from "./iiif";
export * from "./credit";
export * from "./iiif-import";
export * from "./layout";
export * from "./address";
export * from "./captions";
export * from "./citation";
export * from "./themes";
export * from "./review";
