/**
 * The version of the public API (`JanApi`, semver). The declarations it publishes are checked in
 * as `sdk/jan-api.d.ts`; `test/unit/api/api-declarations.test.ts` fails when they change while this
 * stays the same (a new optional member: minor; anything removed or narrowed: major).
 */
export const JAN_API_VERSION = '1.2.0';
