/**
 * The MongoDB-wire server the server tests run against: MONGODB_URI as `npm test` was started with
 * (test/setup/isolate-mongodb-uri.cjs moved it aside so other tests keep the embedded store); undefined
 * when none was given.
 */
export const serverUri: string | undefined = process.env.MEDGEN_TEST_MONGODB_URI;
