/**
 * Français : la préparation de clés en série (`skm provision`, « Préparer des clés » dans
 * l'application) (mêmes clés que en/provision.ts). Les noms et valeurs du profil restent tels
 * qu'ils s'écrivent dans le fichier.
 * @module
 */
import type { Catalogue } from '../catalogue.js';

export const provision: Catalogue['provision'] = {
  profileIssues: {
    'not-json-or-yaml': 'Le fichier n’est ni du JSON valide ni du YAML valide{{lineText}}. Correction : vérifiez les crochets, guillemets, virgules et l’indentation.',
    'not-an-object': 'Le profil doit être un seul objet de paramètres, par exemple { "reset": "never", "pin": { "mode": "random", "length": 8 } }.',
    'unknown-setting': '{{path}} : « {{name}} » n’est pas un paramètre de profil. Correction : supprimez-le ou corrigez son orthographe.',
    missing: '{{path}} est manquant. Correction : ajoutez-le (attendu : {{expected}}).',
    'wrong-type': '{{path}} n’a pas le bon type. Correction : indiquez {{expected}}.',
    'not-one-of': '{{path}} a une valeur non autorisée. Correction : utilisez l’une de ces valeurs : {{expected}}.',
    'too-small': '{{path}} est trop petit. Correction : utilisez {{limit}} ou plus.',
    'too-big': '{{path}} est trop grand. Correction : utilisez {{limit}} ou moins.',
    'not-an-aaguid': '{{path}} n’est pas un AAGUID. Correction : écrivez-le sous forme de chiffres hexadécimaux 8-4-4-4-12, par exemple "cb69481e-8ff7-4039-93ec-0a2729a154a8".',
    'alphabet-too-small': '{{path}} nécessite au moins deux caractères différents. Correction : utilisez {{expected}}, ou écrivez les caractères en toutes lettres.',
    'unknown-placeholder': '{{path}} : « {{name}} » n’est pas un espace réservé. Correction : utilisez {{expected}}.',
    'pin-shorter-than-minimum': '{{path}} est plus court que minPinLength ({{limit}}) : les clés refuseraient leur propre code PIN. Correction : donnez au code PIN au moins {{limit}} caractères.',
    'needs-pin': '{{path}} nécessite un code PIN sur la clé. Correction : ajoutez "pin" (random ou shared), ou supprimez {{path}}.',
    'allowed-and-denied': '{{path}} : {{name}} figure à la fois dans la liste d’autorisation et dans la liste de refus. Correction : retirez-le de l’une des deux.',
  },
  rejections: {
    'aaguid-not-allowed': 'son modèle (AAGUID {{aaguid}}) ne figure pas dans la liste d’autorisation du profil',
    'aaguid-denied': 'son modèle (AAGUID {{aaguid}}) figure dans la liste de refus du profil',
    'firmware-too-old': 'son microprogramme ({{firmware}}) est plus ancien que le minimum du profil ({{limit}})',
    'missing-capability': 'il lui manque {{capability}}, exigé par le profil',
    'pin-already-set': 'elle a déjà un code PIN que cette exécution ne connaît pas, et le profil ne la réinitialise pas ("reset": "if-pin-set" le ferait)',
    'step-unsupported': 'elle ne peut pas effectuer l’étape « {{stepText}} » demandée par le profil',
    'pin-length-unsupported': 'elle n’accepte pas de code PIN de cette longueur (sa limite : {{limit}})',
    'min-pin-length-would-go-down': 'sa longueur minimale de code PIN est déjà de {{limit}}, supérieure à celle du profil, et elle ne fait qu’augmenter jusqu’à une réinitialisation',
    'too-many-rp-ids': 'elle peut indiquer au plus {{limit}} sites web pour la longueur minimale du code PIN',
    'mds-unfit': 'le FIDO Metadata Service classe son modèle comme {{status}}',
    'attestation-not-verified': 'son authenticité n’a pas pu être établie : {{verdictText}}',
  },
  steps: {
    reset: 'réinitialiser',
    pin: 'définir le code PIN',
    'always-uv': 'toujours exiger le code PIN',
    'enterprise-attestation': 'activer l’attestation d’entreprise',
    'min-pin-length': 'longueur minimale du code PIN et modification imposée',
    verify: 'relire et vérifier',
  },
  lines: {
    waiting: 'En attente de clés… ({{finished}} terminées jusqu’ici)',
    waitingFor: 'En attente de clés… ({{finished}} sur {{count}} terminées)',
    identified: '[{{label}}] {{model}}',
    step: '[{{label}}] {{stepText}}…',
    prompt: '[{{label}}] {{text}}',
    done: '[{{label}}] Terminé : {{stepsText}}.',
    wiped: '[{{label}}] Effacée et vérifiée.',
    skipped: '[{{label}}] Déjà préparée (dans le rapport) ; ignorée.',
    rejected: '[{{label}}] Refusée, rien n’a été modifié : {{reasonText}}.',
    incomplete: '[{{label}}] Incomplète : {{error}} Déjà fait : {{stepsText}}. Relancez avec la clé insérée pour terminer.',
    failed: '[{{label}}] Non modifiée : {{error}}',
    unidentified: '[{{deviceId}}] Lecture impossible : {{error}} Rien n’a été modifié.',
    readbackMismatch: 'La clé, relue, ne présente pas tous les paramètres du profil.',
    summary: 'Préparées {{done}}, refusées {{rejected}}, incomplètes {{incomplete}}, en échec {{failed}}, ignorées {{skipped}}. Rapport : {{path}}',
    noSteps: 'rien',
  },
};
