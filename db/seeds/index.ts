import type { Knex } from 'knex';
import { seedDemoArrears } from './arrears.ts';
import { seedDemoCampaigns } from './campaigns.ts';
import { seedDemoCommitments } from './commitments.ts';
import { seedDemoComplaints } from './complaints.ts';
import { seedDemoCore } from './demo.ts';
import { seedDemoCreditRecord } from './credit-record.ts';
import { seedDemoLitigation } from './litigation.ts';

/** Seeds demo data into an empty database; answers whether it did. */
export async function seedDemoIfEmpty(db: Knex, demoPassword: string): Promise<boolean> {
  const [{ n }] = await db('users').count({ n: '*' });
  if (Number(n) > 0) return false;
  await seedDemoCore(db, demoPassword);
  await seedDemoCommitments(db);
  await seedDemoArrears(db);
  await seedDemoCreditRecord(db);
  // After every other demo seed: the campaign's baseline is what they left overdue.
  await seedDemoCampaigns(db);
  await seedDemoLitigation(db);
  // Last: the complaints link to the demo arrears (a finding of default names one of them).
  await seedDemoComplaints(db);
  return true;
}
