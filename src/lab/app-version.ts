import { version } from '../../package.json'

/** The app version stored with every run, so results can be traced to the code that made them. */
export const APP_VERSION: string = version
