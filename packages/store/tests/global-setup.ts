// Starts the Ceph cluster (S3) that the contract tests run the S3 driver against.
import { setupS3ForTests } from '@mldp/testkit';

export default async function setup(): Promise<() => Promise<void>> {
  return setupS3ForTests();
}
