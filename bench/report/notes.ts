// What costs the time where a target is missed, from profiling (node --cpu-prof), and what change
// would close the gap. Keyed by target id (without a live-count suffix); RESULTS.md shows a note
// only while its target is missed.

export const MISSED_TARGET_NOTES: Record<string, string> = {};
