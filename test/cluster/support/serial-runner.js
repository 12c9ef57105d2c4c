// jest's default runner, marked serial: jest then runs this project's files one at a time
// (they share one cluster), while the other projects keep their parallel workers.
const TestRunner = require('jest-runner').default;

module.exports = class SerialRunner extends TestRunner {
  isSerial = true;
};
