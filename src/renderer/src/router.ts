import { createRouter, createWebHashHistory } from 'vue-router'
import LibraryView from './views/LibraryView.vue'

// Hash history: Electron loads the page from file:// and the server serves only index.html, so
// the route must live after the `#`.
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', name: 'library', component: LibraryView },
    { path: '/new', name: 'new-run', component: () => import('./views/NewRunView.vue') },
    { path: '/runs/:id(\\d+)', name: 'run', component: () => import('./views/RunView.vue'), props: (route) => ({ runId: Number(route.params.id) }) },
    { path: '/compare', name: 'compare', component: () => import('./views/CompareView.vue') },
    { path: '/sweeps', name: 'sweeps', component: () => import('./views/SweepListView.vue') },
    { path: '/sweeps/new', name: 'sweep-new', component: () => import('./views/SweepEditorView.vue') },
    { path: '/sweeps/slurm', name: 'sweep-slurm', component: () => import('./views/SweepSlurmView.vue') },
    { path: '/sweeps/:id(\\d+)', name: 'sweep', component: () => import('./views/SweepDetailView.vue'), props: (route) => ({ sweepId: Number(route.params.id) }) },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
})
