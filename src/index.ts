export * from './data-location';
export * from './keep-data-up-to-date';
export * from './lake-formation';
export * from './s3-tables-target';
export * from './target-queries';
export * from './watermark';
