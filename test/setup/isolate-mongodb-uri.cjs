// MONGODB_URI names the server the MongoDB tests run against (.ci/run sets it). Every other test, the CLI ones
// that load the configuration from the environment or spawn the CLI included, must keep the embedded default
// store, so the variable is moved aside before the test workers start (they inherit this process's
// environment); test/store/server-uri.ts hands it to the server tests.
module.exports = async () => {
  if (process.env.MONGODB_URI) {
    process.env.MEDGEN_TEST_MONGODB_URI = process.env.MONGODB_URI;
    delete process.env.MONGODB_URI;
  }
};
