/**
 * The conformance target list. Each import registers one target in `conformanceTargets`;
 * add a target by adding its import line here.
 * @module
 */
import './virtual-hid.target.js';
import './virtual-replug.target.js';
import './real-usb.target.js';
import '../nfc/nfc.target.js';

export { conformanceTargets, statusOf, type AuthenticatorUnderTest, type OpenTarget } from './target.js';
