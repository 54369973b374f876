// The engine's concentration indices are the shared ones, so the page computes the same numbers.
export { gini, ipr } from '../../shared/concentration'
