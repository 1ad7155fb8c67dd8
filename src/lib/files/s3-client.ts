import { S3Client } from '@aws-sdk/client-s3';
import { filesConfig } from './files-config';

/**
 * One S3 client per container. Checksums only where S3 requires them: by
 * default the SDK would sign a checksum of an empty body into presigned PUT
 * URLs, which every real upload would then fail.
 */
export const s3 = new S3Client({
  region: filesConfig.region,
  ...(filesConfig.s3Endpoint ? { endpoint: filesConfig.s3Endpoint, forcePathStyle: true } : {}),
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
  maxAttempts: 3,
});

export const bucketName = filesConfig.bucketName;
