// Starts the Ceph cluster (S3) that the end-to-end tests run the pipeline against.
import { setupS3ForTests } from '@mldp/testkit';

export default async function setup(): Promise<() => Promise<void>> {
  return setupS3ForTests();
}
