/**
 * Français : le message plus précis (et l'étape suivante) d'une erreur qui a une raison
 * (mêmes clés que en/reasons.ts).
 * @module
 */
import type { Catalogue } from '../catalogue.js';

const PIN_NOT_ON_COMMAND_LINE =
  'Les codes PIN ne sont jamais donnés sur la ligne de commande (ils resteraient dans l’historique du shell) : tapez le code PIN quand il vous est demandé, ou transmettez-le sur l’entrée standard, un par ligne. Les commandes sont `{{skm}} pin status`, `{{skm}} pin set` et `{{skm}} pin change`.';

export const reasons: Catalogue['reasons'] = {
  'too-short': { message: 'Le code PIN doit comporter au moins {{minLength}} caractères.' },
  'too-long': { message: 'Le code PIN est trop long : il peut utiliser au plus {{maxBytes}} octets (moins de caractères s’il ne s’agit pas de lettres et de chiffres simples).' },
  'not-a-string': { message: 'Le code PIN contient un caractère qui ne peut pas être utilisé.' },
  'same-as-current': { message: 'Le nouveau code PIN doit être différent du code actuel.' },
  'pin-rejected-by-key': { message: 'La clé de sécurité a refusé ce code PIN : il ne respecte pas les règles de code PIN de la clé.' },
  'declined-delete': { message: 'Rien n’a été supprimé.' },
  'declined-change': { message: 'Rien n’a été modifié.' },
  'declined-remove': { message: 'Rien n’a été retiré.' },
  'declined-reset': { message: 'Annulé. Rien n’a été réinitialisé.' },
  'no-finger': {
    message: 'Aucun doigt n’a été détecté à temps. Recommencez et touchez le capteur quand cela vous est demandé.',
    nextStep: { text: 'Recommencez et touchez le capteur chaque fois que cela vous est demandé.', cli: 'Exécutez de nouveau la commande et touchez le capteur chaque fois que cela vous est demandé.' },
  },
  'none-touched': {
    message: 'Aucune des clés de sécurité n’a été touchée à temps.',
    nextStep: { text: 'Réessayez et touchez la clé voulue pendant que les clés clignotent.', cli: 'Exécutez de nouveau `{{skm}} select` et touchez la clé voulue pendant que les clés clignotent.' },
  },
  'reset-not-touched': {
    message: 'La clé n’a pas été touchée à temps, elle n’a donc pas été réinitialisée.',
    nextStep: { text: 'Relancez la réinitialisation et touchez la clé dès qu’elle clignote.', cli: 'Exécutez de nouveau `{{skm}} reset` et touchez la clé dès qu’elle clignote.' },
  },
  'test-not-touched': {
    message: 'La clé de sécurité n’a pas été touchée à temps.',
    nextStep: { text: 'Réessayez et touchez la clé chaque fois qu’elle clignote.', cli: 'Exécutez de nouveau `{{skm}} test` et touchez la clé chaque fois qu’elle clignote.' },
  },
  'reset-declined': {
    message: 'La clé a refusé la réinitialisation : elle a été rejetée sur la clé, ou cette clé n’autorise pas la réinitialisation par cette connexion.',
    nextStep: {
      text: 'Relancez la réinitialisation et confirmez sur la clé ; si elle refuse encore, connectez-la autrement (USB au lieu de NFC, ou l’inverse).',
      cli: 'Exécutez de nouveau `{{skm}} reset` et confirmez sur la clé ; si elle refuse encore, connectez-la autrement (USB au lieu de NFC, ou l’inverse).',
    },
  },
  'not-removed': {
    message: 'La clé n’a pas été retirée dans les {{seconds}} secondes, elle n’a donc pas été réinitialisée.',
    nextStep: { text: 'Relancez la réinitialisation et retirez la clé quand cela vous est demandé.', cli: 'Exécutez de nouveau `{{skm}} reset` et retirez la clé quand cela vous est demandé.' },
  },
  'not-reinserted': {
    message: 'La clé n’a pas été réinsérée dans les {{seconds}} secondes, elle n’a donc pas été réinitialisée.',
    nextStep: { text: 'Relancez la réinitialisation et réinsérez la clé quand cela vous est demandé.', cli: 'Exécutez de nouveau `{{skm}} reset` et réinsérez la clé quand cela vous est demandé.' },
  },
  'power-cycle-failed': {
    message: 'Le lecteur n’a pas pu éteindre puis rallumer la clé, elle n’a donc pas été réinitialisée.',
    nextStep: {
      text: 'Relancez la réinitialisation sans que le lecteur éteigne la clé, puis éloignez la clé du lecteur et approchez-la de nouveau quand cela vous est demandé.',
      cli: 'Exécutez `{{skm}} reset --no-power-cycle`, puis éloignez la clé du lecteur et approchez-la de nouveau quand cela vous est demandé.',
    },
  },
  'pcscd-not-running': {
    message: 'Le service de carte à puce (pcscd) ne fonctionne pas : les clés sur des lecteurs de cartes ne peuvent pas être utilisées.',
    nextStep: 'Démarrez-le (sudo systemctl start pcscd) et réessayez.',
  },
  'before-reset': {
    message: 'Une autre clé de sécurité a été insérée, elle n’a donc pas été réinitialisée ; rien n’y a été modifié.',
    nextStep: { text: 'Relancez la réinitialisation et réinsérez la clé avec laquelle vous avez commencé.', cli: 'Exécutez de nouveau `{{skm}} reset` et réinsérez la clé avec laquelle vous avez commencé.' },
  },
  'after-reset': {
    message: 'La clé réinitialisée ne répond pas comme la clé que vous avez choisie.',
    nextStep: {
      text: 'Vérifiez quelle clé a été réinitialisée ; éloignez les autres clés pendant une réinitialisation.',
      cli: 'Vérifiez quelle clé a été réinitialisée avec `{{skm}} info` ; éloignez les autres clés pendant une réinitialisation.',
    },
  },
  'only-goes-up': {
    message: 'La longueur minimale du code PIN est de {{current}} et ne peut qu’augmenter jusqu’à la réinitialisation de la clé.',
    nextStep: {
      text: 'Rien n’a été modifié. Seule une réinitialisation la diminue.',
      cli: 'Rien n’a été modifié. Consultez la longueur minimale actuelle avec `{{skm}} pin status` ; seule une réinitialisation la diminue.',
    },
  },
  'no-rp-ids': { message: 'Cette clé ne peut pas communiquer sa longueur minimale de code PIN aux sites web.', nextStep: 'Rien n’a été modifié.' },
  'too-many-rp-ids': { message: 'Cette clé peut communiquer sa longueur minimale de code PIN à {{maxRpIds}} sites web au plus.', nextStep: 'Rien n’a été modifié. Indiquez moins de sites web.' },
  policy: { message: 'La clé a refusé cette longueur minimale de code PIN.', nextStep: 'Rien n’a été modifié.' },
  'name-too-long': { message: 'Ce nom est trop long pour cette clé de sécurité : {{maxBytes}} octets au plus.', nextStep: 'Choisissez un nom plus court.' },
  'test-step-failed': { message: 'La clé a échoué au test : {{stepResult}}' },
  'state-file-in-use': {
    message: 'La clé simulée {{path}} est utilisée par un autre skm.',
    nextStep: 'Attendez que l’autre skm se termine, puis réessayez. Si aucun autre skm n’est en cours, supprimez {{lockPath}}.',
  },
  'state-file-not-saved': {
    message: 'La clé simulée n’a pas pu être enregistrée dans {{path}} ; la modification n’a donc pas été conservée.',
    nextStep: 'Vérifiez que le dossier existe et que vous pouvez y écrire (un fichier temporaire est écrit à côté du fichier de la clé), puis réessayez.',
  },
  'virtual-file-twice': { message: 'Le fichier {{path}} a été indiqué deux fois avec --virtual.' },
  'unknown-preset': {
    message: 'Il n’existe pas de modèle de clé simulée nommé « {{preset}} ».',
    nextStep: { text: 'Choisissez l’un des modèles.', cli: 'Consultez les modèles avec `{{skm}} virtual-key presets`.' },
  },
  'virtual-preset-without-file': { message: '--virtual-preset nécessite --virtual STATE_FILE (le fichier dans lequel la clé simulée est conservée).' },
  'invalid-credential-id': { message: '« {{input}} » n’est pas un identifiant d’informations d’identification valide : texte base64url attendu, tel que `{{skm}} creds list` l’affiche.' },
  'invalid-template-id': { message: '« {{input}} » n’est pas un identifiant d’empreinte digitale : texte hexadécimal attendu, tel que `{{skm}} bio list` l’affiche.' },
  'empty-name': { message: 'Un nom ne peut pas être vide.' },
  'nothing-to-update': { message: 'Indiquez ce qu’il faut modifier avec --name et/ou --display-name.' },
  'no-pin-on-stdin': {
    message: 'Aucun code PIN sur l’entrée standard.',
    nextStep: 'Transmettez le code PIN sur l’entrée standard, un par ligne (pour `pin change` : le code actuel, puis le nouveau), ou exécutez la commande dans un terminal.',
  },
  'confirmation-needed': {
    message: '{{action}} : cette opération nécessite votre confirmation. {{consequenceList}}',
    nextStep: 'Rien n’a été modifié. Pour confirmer sans terminal, exécutez de nouveau la commande avec --yes.',
  },
  'missing-command': { message: 'Indiquez la commande à exécuter.' },
  'pin-in-arguments': {
    message: 'Commande `{{skm}} pin` inconnue (non répétée ici, au cas où il s’agirait d’un code PIN).',
    nextStep: PIN_NOT_ON_COMMAND_LINE,
  },
  'pin-extra-arguments': { message: '{{parserMessage}}', nextStep: PIN_NOT_ON_COMMAND_LINE },
  'argument-parser': { message: '{{parserMessage}}' },
  'no-blob': { message: 'Rien n’est stocké à côté de cette clé d’accès.', nextStep: { text: 'Regardez quelles clés d’accès contiennent des données.', cli: 'Regardez quelles clés d’accès contiennent des données avec `skm blobs list`.' } },
  'blob-storage-unreadable': {
    message: 'Le stockage de grands blobs de la clé est illisible ({{bytes}} octets échouent à son contrôle d’intégrité) ; aucune clé d’accès ne peut utiliser son contenu.',
    nextStep: { text: 'Videz-le (une confirmation vous sera demandée).', cli: 'Videz-le avec `skm blobs prune` (une confirmation vous sera demandée).' },
  },
  'blob-storage-changed': {
    message: 'Le stockage de grands blobs de la clé a changé pendant que vous décidiez ; rien n’a donc été écrit.',
    nextStep: 'Regardez ce qu’il contient maintenant, puis réessayez.',
  },
  'out-file-exists': { message: '{{path}} existe déjà ; il n’a pas été modifié.', nextStep: 'Indiquez un nouveau fichier.' },
  'large-blob-needs-resident': { message: '--large-blob nécessite --resident : le texte est stocké à côté d’une clé d’accès conservée sur la clé.' },
  'vpcd-missing': { message: 'Indiquez où brancher la clé simulée avec --vpcd HÔTE:PORT, ou exécutez `{{skm}} virtual-key presets`.' },
  'ambiguous-device': {
    message: '« {{deviceId}} » correspond à {{count}} clés{{deviceList}}.',
    nextStep: { text: 'Choisissez-en une.', cli: 'Donnez une plus grande partie de l’identifiant avec --device (voir `{{skmKeys}} list`).' },
  },
  'ambiguous-credential-id': {
    message: '« {{input}} » est le début de {{count}} clés d’accès : {{passkeyList}}.',
    nextStep: { text: 'Donnez une plus grande partie de l’identifiant.', cli: 'Donnez une plus grande partie de l’identifiant (voir `{{skm}} creds list`).' },
  },
  'cannot-wink': {
    message: '{{featureText}}',
    nextStep: {
      text: 'Les clés posées sur un lecteur NFC et les clés sans voyant ne peuvent pas clignoter ; distinguez les clés par leur nom et leur identifiant.',
      cli: 'Les clés posées sur un lecteur NFC et les clés sans voyant ne peuvent pas clignoter ; distinguez les clés par leur nom et leur identifiant dans `{{skmKeys}} list`.',
    },
  },
  'os-action-unavailable': {
    message: 'Disponible uniquement dans l’application de bureau sous Windows.',
    nextStep: 'Rien à faire ici : cet ordinateur n’en a pas besoin.',
  },
  'elevation-declined': {
    message: 'L’application n’a pas été redémarrée en tant qu’administrateur.',
    nextStep: 'Pour gérer la clé ici, choisissez de nouveau Redémarrer en tant qu’administrateur et autorisez-le, ou utilisez Paramètres Windows › Comptes › Options de connexion › Clé de sécurité.',
  },
  // Fleet provisioning
  'profile-invalid': { message: 'Le profil {{path}} contient des erreurs (chacune est indiquée avec sa correction) ; aucune clé n’a été modifiée.', nextStep: 'Corrigez le profil et relancez.' },
  'profile-unreadable': { message: 'Le profil {{path}} n’a pas pu être lu.', nextStep: 'Vérifiez le nom du fichier et que vous pouvez le lire.' },
  'report-in-use': {
    message: 'Le rapport {{path}} est utilisé par une autre exécution de préparation.',
    nextStep: 'Attendez la fin de l’autre exécution, ou écrivez dans un autre rapport. Si aucune autre exécution n’est en cours, supprimez {{path}}.lock.',
  },
  'report-unreadable': {
    message: 'Le rapport {{path}} existe mais ne peut pas être lu comme rapport de préparation ; il n’a donc pas été modifié.',
    nextStep: 'Choisissez un autre fichier de rapport, ou déplacez celui-ci.',
  },
  'report-not-saved': {
    message: 'Le rapport {{path}} n’a pas pu être écrit.',
    nextStep: 'Vérifiez que le dossier existe et que vous pouvez y écrire, puis relancez : les clés déjà traitées sont reconnues.',
  },
  'policy-not-saved': {
    message: 'Le fichier de stratégie Entra ID {{path}} n’a pas pu être écrit.',
    nextStep: 'Vérifiez que le dossier existe et que vous pouvez y écrire ; le rapport est complet, relancez donc avec --count 0 pour écrire uniquement la stratégie.',
  },
  'mds-invalid': {
    message: 'Le fichier de métadonnées n’est pas un BLOB du FIDO Metadata Service signé par le certificat racine indiqué ; il n’a donc pas été utilisé.',
    nextStep: {
      text: 'Téléchargez de nouveau le BLOB auprès de la FIDO Alliance (https://mds3.fidoalliance.org/) et chargez-le avec le certificat racine FIDO MDS (PEM).',
      cli: 'Téléchargez de nouveau le BLOB auprès de la FIDO Alliance et indiquez le certificat racine FIDO MDS (PEM) avec --mds-root.',
    },
  },
  'mds-untrusted': {
    message: 'Le fichier de métadonnées est un BLOB du FIDO Metadata Service, mais il n’est pas signé par le certificat racine indiqué (ou son certificat de signature a expiré) ; il n’a donc pas été utilisé.',
    nextStep: { text: 'Vérifiez que le certificat racine est celui de FIDO MDS (PEM), ou téléchargez de nouveau le BLOB.', cli: 'Vérifiez que --mds-root est le certificat racine FIDO MDS (PEM), ou téléchargez de nouveau le BLOB.' },
  },
  'mds-too-large': { message: 'Le fichier {{path}} est trop volumineux pour être un BLOB du FIDO Metadata Service ou un certificat racine.', nextStep: 'Choisissez le BLOB (blob.jwt) et le certificat racine (PEM) eux-mêmes.' },
  'mds-without-root': { message: '--mds nécessite --mds-root FICHIER : le certificat racine (PEM) par lequel le BLOB doit être signé.' },
  'pin-file-unreadable': { message: 'Le fichier de code PIN {{path}} n’a pas pu être lu, ou sa première ligne n’est pas un code PIN.', nextStep: 'Placez le code PIN seul sur la première ligne du fichier.' },
  'no-shared-pin': {
    message: 'Ce profil définit un code PIN commun sur chaque clé, et aucun n’a été fourni.',
    nextStep: { text: 'Entrez le code PIN commun.', cli: 'Fournissez-le avec --pin-file FICHIER, ou en première ligne de l’entrée standard. Jamais sur la ligne de commande.' },
  },
  'shared-pin-unused': { message: 'Un code PIN a été fourni, mais ce profil ne définit pas de code PIN commun.', nextStep: 'Utilisez un profil avec "pin": { "mode": "shared" }, ou omettez le code PIN.' },
  'path-not-allowed': {
    message: 'Le nom de fichier {{path}} ne peut pas être utilisé ici.',
    nextStep: 'Indiquez un nom de fichier complet (par exemple /home/vous/cles.csv ou C:\\Users\\vous\\cles.csv) dans un dossier existant ; il est impossible d’écrire dans un périphérique ou un dossier.',
  },
  'export-not-saved': { message: 'L’exportation {{path}} n’a pas pu être écrite.', nextStep: 'Vérifiez que le dossier existe et que vous pouvez y écrire, puis exportez de nouveau.' },
  'profile-too-large': { message: 'Le fichier {{path}} est trop volumineux pour être un profil.', nextStep: 'Ouvrez le fichier de profil lui-même (quelques paramètres en JSON ou YAML).' },
  'provisioning-running': { message: 'Des clés sont déjà en cours de préparation.', nextStep: 'Arrêtez d’abord cette exécution, ou attendez qu’elle se termine.' },
  'no-report-yet': { message: 'Il n’y a pas encore de rapport à exporter.', nextStep: 'Commencez d’abord à préparer des clés ; le rapport peut être exporté pendant l’exécution et après.' },
  'attestation-needs-mds': {
    message: 'Ce profil exige de vérifier l’authenticité de chaque clé (attestation), ce qui nécessite le BLOB du FIDO Metadata Service : il contient les certificats racines des fabricants.',
    nextStep: {
      text: 'Chargez le BLOB et son certificat racine sous Diagnostic › FIDO Metadata Service (MDS).',
      cli: 'Fournissez --mds FICHIER (le BLOB de https://mds3.fidoalliance.org/) et --mds-root FICHIER (son certificat racine, PEM).',
    },
  },
};
