/** The local secrets provider: secrets, environment files and registry credentials of tasks. */
export { parseEnvFile, mergeEnvFiles, MAX_ENV_FILES, type ParsedEnvFile } from './envFile.js';
export { SecretsProvider, ResourceInitializationError, type SecretsProviderOptions } from './provider.js';
export { secretReference, secretEnvVar, envFileLocation, SecretReferenceError, type SecretReference, type EnvFileLocation } from './references.js';
export {
  resolveTaskEnvironment,
  resolveSecretOptions,
  resolveRegistryAuth,
  resolveImageAuth,
  type RegistryAuth,
  type ResolvedContainerEnvironment,
  type ResolvedTaskEnvironment,
} from './taskEnvironment.js';
export { SecretScrubber, SCRUBBED, MIN_SCRUBBED_FILE_VALUE_LENGTH, scrubbedValues, refuseNulValues } from './scrub.js';
export type { LocalFileVerdict } from './taskEnvironment.js';
export { readRoleCredentials, roleNameFromArn, parseCredentials, UnmappedRoleError, ROLES_DIR, STATIC_KEYS_REFRESH_MS, type RoleCredentials } from './roles.js';
