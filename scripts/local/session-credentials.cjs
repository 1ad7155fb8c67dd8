// The temporary credentials the local Identity Pool has issued
// (scripts/local/identity-store.ts writes them to <state>/identity-pool/credentials.json),
// as the local S3 looks them up: accessKeyId → { secretKey, sessionToken,
// identityId, principalTags, expiresAt }. Read again whenever the file has changed.
const fs = require('node:fs');

exports.sessionCredentialsFrom = (file) => {
  let loadedAt = '';
  let credentials = {};
  const reload = () => {
    let version;
    try {
      // Each write is a rename (a new inode): mtime alone can repeat within the clock's tick.
      const stat = fs.statSync(file);
      version = `${stat.ino}:${stat.mtimeMs}:${stat.size}`;
    } catch {
      return;
    }
    if (version === loadedAt) return;
    try {
      credentials = JSON.parse(fs.readFileSync(file, 'utf8'));
      loadedAt = version;
    } catch {
      // being replaced: the previous copy until the next look-up
    }
  };
  /** s3rver's sessionCredentials hook (patches/s3rver+3.7.1.patch). */
  return (accessKeyId) => {
    // One stat a request: an entry can change too (the identity pool prunes expired ones).
    reload();
    const issued = Object.hasOwn(credentials, accessKeyId) ? credentials[accessKeyId] : undefined;
    if (!issued) return undefined;
    return {
      secretAccessKey: issued.secretKey,
      sessionToken: issued.sessionToken,
      expiresAt: issued.expiresAt,
      principal: { identityId: issued.identityId, principalTags: issued.principalTags ?? {} },
    };
  };
};
