export * from './data-location';
export * from './keep-data-up-to-date';
export * from './lake-formation';
export * from './target-queries';
export * from './watermark';
