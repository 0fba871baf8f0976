/** The exported globals of the module in `bytes`, by export name. */
export function exportedConstants(bytes: Uint8Array): Record<string, number>;
/** The text of bindings/abi.generated.ts for `constants`. */
export function renderAbi(constants: Record<string, number>): string;
