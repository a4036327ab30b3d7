/**
 * Français : ce qui s'est passé et ce qu'il faut faire, une entrée par AppErrorCode
 * (mêmes clés que en/errors.ts).
 * @module
 */
import type { Catalogue } from '../catalogue.js';

const TRY_AGAIN_TOUCH = 'Réessayez et touchez la clé quand elle clignote.';
const RESET_ONLY = 'La clé est verrouillée : seule une réinitialisation la rendra utilisable, et elle efface tout.';

export const errors: Catalogue['errors'] = {
  NO_DEVICE: {
    message: 'Aucune clé de sécurité trouvée.',
    nextStep: {
      text: 'Insérez votre clé de sécurité (ou approchez-la du lecteur), puis réessayez.',
      cli: 'Insérez votre clé de sécurité (ou approchez-la du lecteur), puis réessayez. Pour vous entraîner sur une clé simulée, ajoutez --virtual FICHIER.',
    },
  },
  SEVERAL_DEVICES: {
    message: 'Plusieurs clés de sécurité sont connectées{{deviceList}}.',
    nextStep: { text: 'Choisissez-en une, ou retirez les autres.', cli: 'Choisissez-en une avec --device ID (voir `{{skmKeys}} list`), ou retirez les autres.' },
  },
  DEVICE_NOT_FOUND: {
    message: 'Aucune clé de sécurité ne correspond à « {{deviceId}} ».',
    nextStep: { text: 'Choisissez l’une des clés connectées.', cli: 'Exécutez `{{skmKeys}} list` pour voir les clés connectées et leurs identifiants.' },
  },
  DEVICE_BUSY: {
    message: 'La clé de sécurité est occupée par une autre opération.',
    nextStep: 'Attendez la fin de l’autre opération (ou de l’autre application qui utilise la clé), puis réessayez.',
  },
  DEVICE_GONE: { message: 'La clé de sécurité a été retirée.', nextStep: 'Insérez de nouveau la clé (ou laissez-la sur le lecteur), puis réessayez.' },
  PERMISSION_DENIED: {
    message: 'Cet ordinateur n’a pas autorisé l’accès à la clé de sécurité.',
    nextStep: 'Vérifiez que votre utilisateur peut accéder aux clés de sécurité USB, puis réessayez.',
  },
  TIMEOUT: { message: 'La clé de sécurité n’a pas répondu à temps.', nextStep: 'Retirez puis réinsérez la clé, et réessayez.' },
  TRANSPORT: { message: 'Impossible de communiquer avec la clé de sécurité.', nextStep: 'Retirez puis réinsérez la clé (ou approchez-la de nouveau du lecteur), et réessayez.' },
  PROTOCOL: {
    message: 'La réponse de la clé de sécurité est incompréhensible.',
    nextStep: 'Réessayez ; si le problème persiste, la clé n’est peut-être pas compatible avec cette application.',
  },
  NOT_FIDO2: {
    message: 'Cette clé n’est pas une clé de sécurité FIDO2 (c’est peut-être une ancienne clé U2F uniquement) : elle n’a ni code PIN, ni clés d’accès, ni paramètres à gérer.',
    nextStep: 'Utilisez une clé de sécurité compatible FIDO2.',
  },
  KEY_REJECTED_REQUEST: {
    message: 'La clé de sécurité a refusé la demande.',
    nextStep: 'Votre clé ne prend peut-être pas en charge cette opération telle que l’application la demande. Recherchez une mise à jour du microprogramme ou de l’application.',
  },
  KEY_FAILURE: {
    message: 'La clé de sécurité a signalé une erreur interne.',
    nextStep: 'Retirez puis réinsérez la clé et réessayez ; si le problème persiste, contactez le fabricant de la clé.',
  },
  REQUEST_TOO_LARGE: { message: 'La demande est trop volumineuse pour cette clé de sécurité.', nextStep: 'Utilisez des noms plus courts ou moins d’éléments.' },
  PIN_INVALID: {
    message: 'Ce code PIN est incorrect.{{triesText}}',
    nextStep: 'Réessayez avec le bon code PIN. Après 3 codes PIN incorrects d’affilée, retirez puis réinsérez la clé ; quand il ne reste plus d’essai, la clé se verrouille.',
  },
  PIN_AUTH_BLOCKED: { message: 'Trop de codes PIN incorrects d’affilée.', nextStep: 'Retirez puis réinsérez la clé, et réessayez.' },
  PIN_BLOCKED: { message: 'Le code PIN est verrouillé : trop de codes PIN incorrects.', nextStep: RESET_ONLY },
  PIN_NOT_SET: {
    message: 'Cette clé de sécurité n’a pas encore de code PIN.',
    nextStep: {
      text: 'Définissez d’abord un code PIN, puis réessayez.',
      cli: 'Définissez-en un avec `{{skm}} pin set`, puis réessayez.',
      app: 'Choisissez Ajouter sous Code PIN de la clé de sécurité, puis réessayez.',
    },
  },
  PIN_ALREADY_SET: {
    message: 'Cette clé de sécurité a déjà un code PIN.',
    nextStep: { text: 'Modifiez-le plutôt.', cli: 'Modifiez-le avec `{{skm}} pin change`.', app: 'Choisissez Modifier sous Code PIN de la clé de sécurité.' },
  },
  PIN_POLICY: {
    message: 'Ce code PIN ne respecte pas les règles de la clé.',
    nextStep: 'Choisissez un code PIN qui respecte les règles (plus long, ou différent du code PIN actuel).',
  },
  PIN_REQUIRED: {
    message: 'Cette opération nécessite le code PIN de la clé de sécurité.',
    nextStep: { text: 'Entrez le code PIN quand il vous est demandé, ou définissez-en un d’abord.', cli: 'Entrez le code PIN quand il vous est demandé, ou définissez-en un d’abord avec `{{skm}} pin set`.' },
  },
  PIN_MISMATCH: { message: 'Les deux codes PIN saisis sont différents.', nextStep: 'Réessayez en tapant deux fois le même code PIN.' },
  PIN_CHANGE_REQUIRED: {
    message: 'Cette clé de sécurité exige un nouveau code PIN avant de pouvoir être utilisée.',
    nextStep: {
      text: 'Modifiez le code PIN, puis réessayez.',
      cli: 'Modifiez le code PIN avec `{{skm}} pin change`, puis réessayez.',
      app: 'Choisissez Modifier sous Code PIN de la clé de sécurité, puis réessayez.',
    },
  },
  SESSION_EXPIRED: { message: 'La clé de sécurité n’accepte plus cette session.', nextStep: 'Réessayez ; le code PIN vous sera demandé de nouveau.' },
  UV_INVALID: {
    message: 'L’empreinte digitale n’a pas été reconnue.{{triesText}}',
    nextStep: 'Réessayez, ou utilisez le code PIN.',
  },
  UV_BLOCKED: {
    message: 'Le déverrouillage par empreinte digitale est bloqué après trop d’échecs.',
    nextStep: 'Utilisez plutôt le code PIN ; le saisir débloque le capteur d’empreintes digitales.',
  },
  TOUCH_TIMEOUT: { message: 'La clé de sécurité n’a pas été touchée à temps.', nextStep: TRY_AGAIN_TOUCH },
  TOUCH_REQUIRED: { message: 'Il faut toucher la clé de sécurité pour cette opération.', nextStep: TRY_AGAIN_TOUCH },
  OPERATION_DENIED: {
    message: 'La clé de sécurité a refusé : la demande a été rejetée sur la clé.',
    nextStep: 'Réessayez et confirmez sur la clé. Certaines clés n’autorisent pas cette opération sur toutes les connexions (USB / NFC).',
  },
  NOT_ALLOWED: { message: 'La clé de sécurité n’autorise pas cette opération pour le moment.', nextStep: 'Retirez puis réinsérez la clé, et réessayez.' },
  RESET_TOO_LATE: {
    message: 'Trop tard : cette clé n’accepte une réinitialisation que dans les {{seconds}} secondes qui suivent son branchement. Rien n’a été réinitialisé.',
    nextStep: {
      text: 'Relancez la réinitialisation et touchez la clé dès qu’elle clignote après l’avoir réinsérée.',
      cli: 'Exécutez de nouveau `{{skm}} reset` et touchez la clé dès qu’elle clignote après l’avoir réinsérée.',
    },
  },
  RESET_NOT_ALLOWED_ON_TRANSPORT: {
    message: 'Cette clé n’autorise la réinitialisation que par {{allowedList}}, pas par {{transportName}}. Rien n’a été envoyé.',
    nextStep: { text: 'Connectez la clé de cette façon et relancez la réinitialisation.', cli: 'Connectez la clé de cette façon et exécutez de nouveau `{{skm}} reset`.' },
  },
  DIFFERENT_KEY: { message: 'Une autre clé de sécurité a été insérée.', nextStep: 'Insérez la clé avec laquelle vous avez commencé.' },
  KEY_STORE_FULL: {
    message: 'La clé de sécurité n’a plus de place pour d’autres clés d’accès.',
    nextStep: { text: 'Supprimez les clés d’accès dont vous n’avez plus besoin, puis réessayez.', cli: 'Supprimez les clés d’accès dont vous n’avez plus besoin (`{{skm}} creds`), puis réessayez.' },
  },
  FINGERPRINT_STORE_FULL: {
    message: 'Cette clé contient déjà autant d’empreintes digitales que possible.',
    nextStep: 'Supprimez une empreinte digitale dont vous n’avez plus besoin, puis réessayez.',
  },
  FINGERPRINT_NOT_FOUND: {
    message: 'Cette empreinte digitale ne se trouve pas sur cette clé de sécurité.',
    nextStep: { text: 'Choisissez une empreinte digitale dans la liste.', cli: 'Affichez les empreintes digitales avec `{{skm}} bio list` et choisissez-en une qui existe.' },
  },
  FINGERPRINT_NOT_READ: {
    message: 'La clé n’a pas pu lire votre doigt correctement.',
    nextStep: 'Nettoyez le capteur et votre doigt, puis réessayez.',
  },
  LARGE_BLOB_STORE_FULL: { message: 'La clé de sécurité n’a plus de place pour d’autres données.', nextStep: 'Supprimez les clés d’accès dont vous n’avez plus besoin, puis réessayez.' },
  CREDENTIAL_EXCLUDED: { message: 'Cette clé de sécurité est déjà inscrite pour ce compte.', nextStep: 'Utilisez la clé telle quelle, ou choisissez-en une autre.' },
  CREDENTIAL_NOT_FOUND: { message: 'Cette clé d’accès ne se trouve pas sur cette clé de sécurité.', nextStep: 'Affichez de nouveau les clés d’accès et choisissez-en une qui existe.' },
  NO_CREDENTIALS: {
    message: 'Il n’y a aucune clé d’accès sur cette clé de sécurité pour cela.',
    nextStep: {
      text: 'Regardez quelles clés d’accès la clé contient, ou créez-en d’abord une sur ce site web.',
      cli: 'Regardez quelles clés d’accès la clé contient avec `{{skm}} creds list`, ou créez-en d’abord une sur ce site web.',
    },
  },
  UNSUPPORTED: {
    message: 'Cette clé de sécurité ne prend pas en charge cette opération.',
    nextStep: 'Recherchez une mise à jour du microprogramme auprès du fabricant, ou utilisez une clé qui la prend en charge.',
  },
  CANCELLED: { message: 'Annulé.', nextStep: { text: 'Recommencez quand vous êtes prêt.', cli: 'Exécutez de nouveau la commande quand vous êtes prêt.' } },
  STATE_FILE_CORRUPT: {
    message: 'Le fichier de clé simulée {{path}} est endommagé ; il n’a pas été modifié.',
    nextStep: {
      text: 'Choisissez un autre fichier pour créer une nouvelle clé simulée, ou restaurez le fichier.',
      cli: 'Indiquez un autre nom de fichier à --virtual pour créer une nouvelle clé simulée, ou restaurez le fichier.',
    },
  },
  FILE_ACCESS: {
    message: 'Impossible de lire ou d’écrire le fichier {{path}}.',
    nextStep: 'Vérifiez que le fichier et son dossier existent et que vous pouvez y écrire.',
  },
  USAGE: { message: 'La commande n’a pas été utilisée correctement.', nextStep: { text: 'Vérifiez ce qui était demandé et réessayez.', cli: 'Consultez son utilisation avec `{{help}}`.' } },
  BAD_REQUEST: {
    message: 'L’application a envoyé une demande que ce service n’accepte pas ; rien n’a été fait.',
    nextStep: 'Réessayez ; si le problème persiste, signalez-le avec les détails.',
  },
  FORBIDDEN: {
    message: 'Une demande provient d’une page qui ne fait pas partie de cette application ; rien n’a été fait.',
    nextStep: 'Fermez puis rouvrez l’application ; si le problème persiste, signalez-le avec les détails.',
  },
  INTERNAL: {
    message: 'Une erreur s’est produite dans cette application.',
    nextStep: { text: 'Réessayez ; si le problème persiste, signalez-le avec les détails.', cli: 'Réessayez ; si le problème persiste, signalez-le avec la sortie de --verbose.' },
  },
};
