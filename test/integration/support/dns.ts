import { addTxtRecord, removeTxtRecord, setServfail } from '../../../scripts/local/dns-zone';
import { stack } from './stack';

/** The temporary stack's DNS zone, as a tester's `npm run dns -- txt …` writes it: the server reads it on every query. */
export const publishTxt = (name: string, value: string): void => {
  addTxtRecord(stack.dns.zoneFile, name, value);
};

export const unpublishTxt = (name: string, value?: string): void => {
  removeTxtRecord(stack.dns.zoneFile, name, value);
};

/** Makes the stack's DNS server answer SERVFAIL for a name (on) or answer it normally again (off). */
export const failDnsFor = (name: string, on: boolean): void => {
  setServfail(stack.dns.zoneFile, name, on);
};
