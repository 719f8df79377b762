export * from './data-location';
export * from './keep-data-up-to-date';
export * from './lake-formation';
