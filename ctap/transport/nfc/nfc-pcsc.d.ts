// nfc-pcsc ships no types; pcsc.ts types the parts it uses (pcsc-connection.ts NfcReader, NfcRoot).
declare module 'nfc-pcsc';
