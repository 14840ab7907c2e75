// @20minutes/s3rver (the maintained fork) ships no types; its API is s3rver's, typed by @types/s3rver.
declare module '@20minutes/s3rver' {
  import S3rver = require('s3rver');
  export = S3rver;
}
