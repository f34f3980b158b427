/**
 * Resource limits for datasets (documented in the README). A file larger
 * than MAX_DATASET_FILE_BYTES — on disk, or once gunzipped — is refused, as
 * is a dataset with more than MAX_DATASET_SAMPLES samples or more than
 * MAX_DATASET_VALUES float values in all (4 bytes each in memory).
 */
export const MAX_DATASET_FILE_BYTES = 1024 * 1024 * 1024;
export const MAX_DATASET_SAMPLES = 2_000_000;
export const MAX_DATASET_VALUES = 256 * 1024 * 1024;
/** Most classes a classification dataset may have. */
export const MAX_CLASSES = 100_000;
