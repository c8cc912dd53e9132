/** The checked-in declarations file, sdk/jan-api.d.ts. */
export const DECLARATIONS: string;
/** The declarations as the sources make them now (runs dts-bundle-generator). */
export function generate(): string;
