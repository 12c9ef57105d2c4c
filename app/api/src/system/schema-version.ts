/**
 * The newest migration this build expects; /readyz is 503 until it is applied. A test keeps
 * it equal to the last file in migrations/.
 */
export const latestMigration = '1764600000000_add-measurement-authors';
