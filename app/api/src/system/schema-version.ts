/**
 * The newest migration this build expects; /readyz is 503 until it is applied. A test keeps
 * it equal to the last file in migrations/.
 */
export const latestMigration = '1764500000000_create-idempotency-keys';
