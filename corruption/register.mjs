// Loaded with --import after tsx, so this hook runs first and wins for the core bytes.
import { register } from "node:module";

register("./hooks.mjs", import.meta.url);
