// Runs a TypeScript module's `main(argv)` as a command, for shimeji's command and those of libs
// built on it (shimeji-db, shimeji-sagas): tsx compiles modules as they load, and the process
// exits with main's code at once, so a killed worker's timers or a stray handle cannot keep it alive.
module.exports = function runMain(modulePath) {
  require('tsx/cjs/api').register();
  require(modulePath)
    .main(process.argv.slice(2))
    .then(
      (code) => process.exit(typeof code === 'number' ? code : 0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
};
