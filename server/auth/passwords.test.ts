import { expect } from 'chai';
import { hashPassword, passwordProblems, verifyPassword } from './passwords.ts';

describe('password rules (MLPS level 3)', () => {
  it('accepts a long password with three character classes', () => {
    expect(passwordProblems('Harbour-light-42', 'officer9')).to.deep.equal([]);
  });
  it('refuses short passwords and too few character classes', () => {
    expect(passwordProblems('Ab1!', 'x')).to.include('length');
    expect(passwordProblems('alllowercaseletters', 'x')).to.include('classes');
    expect(passwordProblems('lowercase123456', 'x')).to.include('classes');
  });
  it('refuses a password containing the username, in any case', () => {
    expect(passwordProblems('Officer9-Harbour', 'officer9')).to.include('username');
  });
  it('refuses common and breached passwords, shipped lists included', () => {
    expect(passwordProblems('P@ssw0rd123', 'x')).to.include('common');
    expect(passwordProblems('qwer1234!@#$', 'x')).to.include('common');
    expect(passwordProblems('Password123!', 'x')).to.include('common');
  });
  it('hashes with Argon2id and verifies', async () => {
    const hash = await hashPassword('Harbour-light-42');
    expect(hash).to.match(/^\$argon2id\$/);
    expect(await verifyPassword(hash, 'Harbour-light-42')).to.equal(true);
    expect(await verifyPassword(hash, 'Harbour-light-43')).to.equal(false);
  });
});
