/** What to log or show of something thrown: its message, or the value itself when it is no Error. */
export function errorMessage(error) {
    return error instanceof Error ? error.message : String(error);
}
//# sourceMappingURL=errors.js.map