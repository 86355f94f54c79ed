/** The local secrets provider: secrets, environment files and registry credentials of tasks. */
export { parseEnvFile, mergeEnvFiles, MAX_ENV_FILES } from './envFile.js';
export { SecretsProvider, ResourceInitializationError } from './provider.js';
export { secretReference, secretEnvVar, envFileLocation, SecretReferenceError } from './references.js';
export { resolveTaskEnvironment, resolveSecretOptions, resolveRegistryAuth, resolveImageAuth, } from './taskEnvironment.js';
export { SecretScrubber, SCRUBBED, MIN_SCRUBBED_FILE_VALUE_LENGTH, scrubbedValues, refuseNulValues } from './scrub.js';
export { readRoleCredentials, roleNameFromArn, parseCredentials, UnmappedRoleError, ROLES_DIR, STATIC_KEYS_REFRESH_MS } from './roles.js';
//# sourceMappingURL=index.js.map