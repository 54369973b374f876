// Chart descriptions shared by the page and (later) headless export: pure data, no DOM.
export * from './builders'
export * from './clocks'
export * from './line-figure'
export * from './live-axis'
export * from './marker-labels'
export * from './palette'
