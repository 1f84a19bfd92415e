import { UsageError } from '../errors.js';

/**
 * The AWS partitions whose console takes federated sign-in, with their endpoints (a data
 * table). The ISO partitions have no public federation endpoint.
 */
export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov';

interface PartitionEndpoints {
  federation: string;
  /** The console's own sign-in page (an IAM user's password and MFA). */
  signInPage: string;
  consoleHome: (region: string) => string;
}

const PARTITIONS: Record<Partition, PartitionEndpoints> = {
  aws: {
    federation: 'https://signin.aws.amazon.com/federation',
    signInPage: 'https://signin.aws.amazon.com/console',
    consoleHome: (region) => `https://${region}.console.aws.amazon.com/console/home?region=${region}`,
  },
  'aws-cn': {
    federation: 'https://signin.amazonaws.cn/federation',
    signInPage: 'https://signin.amazonaws.cn/console',
    consoleHome: (region) => `https://console.amazonaws.cn/console/home?region=${region}`,
  },
  'aws-us-gov': {
    federation: 'https://signin.amazonaws-us-gov.com/federation',
    signInPage: 'https://signin.amazonaws-us-gov.com/console',
    consoleHome: (region) => `https://console.amazonaws-us-gov.com/console/home?region=${region}`,
  },
};

/** `eu-west-1`, `cn-north-1`, `us-gov-west-1`: what may go into a host name. */
const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

export function assertRegion(region: string, source: string): void {
  if (!REGION_PATTERN.test(region)) {
    throw new UsageError(`invalid region ${JSON.stringify(region)} (${source})`, 'A region looks like eu-west-1 or us-east-1; fix the profile\'s region or AWS_REGION.');
  }
}

/**
 * The partition of a session: from its ARN when known (`arn:aws-cn:sts::…`), else from the region.
 * An ISO region is refused: those partitions have no console federation endpoint.
 */
export function partitionOf(region: string, identityArn?: string): Partition {
  const fromArn = /^arn:(aws|aws-cn|aws-us-gov):/.exec(identityArn ?? '')?.[1] as Partition | undefined;
  if (fromArn) return fromArn;
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (/^(us-iso|eu-isoe|us-isob)/.test(region)) {
    throw new UsageError(`region ${region} is in an isolated AWS partition, which has no console federation endpoint mfa-env can use`);
  }
  return 'aws';
}

export function federationEndpoint(partition: Partition): string {
  return PARTITIONS[partition].federation;
}

export function consoleHome(partition: Partition, region: string): string {
  return PARTITIONS[partition].consoleHome(region);
}

export function consoleSignInPage(partition: Partition): string {
  return PARTITIONS[partition].signInPage;
}
