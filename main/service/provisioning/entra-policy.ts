/**
 * The key-restriction part of Entra ID's FIDO2 authentication method policy (Microsoft Graph
 * fido2AuthenticationMethodConfiguration.keyRestrictions, a fido2KeyRestrictions), allowing
 * exactly the models that were issued: the body of a PATCH to
 * policies/authenticationMethodsPolicy/authenticationMethodConfigurations/fido2.
 * @module
 */
import type { ProvisionRecord } from './report.js';

export interface EntraKeyRestrictionPolicy {
  '@odata.type': '#microsoft.graph.fido2AuthenticationMethodConfiguration';
  keyRestrictions: { isEnforced: true; enforcementType: 'allow'; aaGuids: string[] };
}

/** The AAGUIDs of every key provisioned (result done), each once, sorted. */
export function entraPolicy(records: readonly ProvisionRecord[]): EntraKeyRestrictionPolicy {
  const aaGuids = [...new Set(records.filter((r) => r.result === 'done').map((r) => r.aaguid.toLowerCase()))].sort();
  return {
    '@odata.type': '#microsoft.graph.fido2AuthenticationMethodConfiguration',
    keyRestrictions: { isEnforced: true, enforcementType: 'allow', aaGuids },
  };
}
