/**
 * The CRM open API's protection: `param` is the business JSON encrypted with DES/ECB/PKCS5Padding
 * under the channel's 8-byte key (its UTF-8 bytes), written as hex. OpenSSL 3 keeps single DES in
 * its legacy provider only; triple DES (EDE) with the key repeated three times is the same cipher
 * (encrypt K, decrypt K, encrypt K = encrypt K), so `des-ede3-ecb` does it without that provider.
 * PKCS#5 and PKCS#7 padding coincide for 8-byte blocks: OpenSSL's default padding is right.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { CrmCode, CrmError } from './errors.ts';

const BLOCK_HEX = 16;
const TITLE = 'param 解密失败';

/** The 24-byte EDE key standing for a DES key given as 8 UTF-8 bytes. */
export function desKey(key: string): Buffer {
  const k = Buffer.from(key, 'utf8');
  if (k.length !== 8) throw new Error(`a DES key is 8 bytes; this one has ${k.length}`);
  return Buffer.concat([k, k, k]);
}

/** Encrypts a UTF-8 plaintext; answers uppercase hex, as partners send it. */
export function encryptParam(plaintext: string, key: string): string {
  const cipher = createCipheriv('des-ede3-ecb', desKey(key), null);
  return Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]).toString('hex').toUpperCase();
}

/** Why a `param` string is not DES ciphertext in hex, or null when it looks like one. */
function hexProblem(param: string): string | null {
  if (param === '') return 'param is empty; it must be the hex DES ciphertext of the business JSON';
  const bad = /[^0-9A-Fa-f]/.exec(param);
  if (bad) return `param must be hexadecimal (0-9, A-F); ${JSON.stringify(bad[0])} at position ${bad.index} is not`;
  if (param.length % 2 !== 0) return `param has an odd number of hex digits (${param.length}); each byte is two digits`;
  if (param.length % BLOCK_HEX !== 0) return `param must be whole 8-byte DES blocks (a multiple of 16 hex digits); it has ${param.length}`;
  return null;
}

/**
 * The plaintext bytes of a hex `param` (upper or lower case). Refuses what is not hex, not
 * whole blocks, or whose padding is wrong after decryption (a wrong key or damaged text).
 */
export function decryptParam(param: string, key: string): Buffer {
  const problem = hexProblem(param);
  if (problem) throw new CrmError(CrmCode.paramNotDecryptable, TITLE, problem);
  const decipher = createDecipheriv('des-ede3-ecb', desKey(key), null);
  try {
    return Buffer.concat([decipher.update(Buffer.from(param, 'hex')), decipher.final()]);
  } catch {
    throw new CrmError(CrmCode.paramNotDecryptable, TITLE, "param does not decrypt under the channel's DES key (bad PKCS5 padding): the key is wrong or the ciphertext is damaged");
  }
}
