// testTimeout is a global jest option (ignored in a project config); set it per project here.
// Generous because the first file to run also builds the commands and the template database.
jest.setTimeout(60_000);
