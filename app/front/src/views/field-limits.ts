/**
 * Longest station, kind and unit the API accepts (its schemas' maxLength), used as the forms'
 * maxlength so a browser never lets the user type what the API refuses. test/writes.test.ts
 * checks them against the API's OpenAPI document.
 */
export const FIELD_LIMITS = { station: 100, kind: 50, unit: 20 } as const;
