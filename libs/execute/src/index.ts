export * from './train-job.js';
