export { type PackagedService, packageServiceOffline } from '../../scripts/package/package-service';
