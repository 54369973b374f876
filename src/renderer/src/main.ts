import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { router } from './router'
import './assets/main.css'
import './assets/controls.css'
import './assets/tables.css'
import './assets/library.css'
import './assets/forms.css'
import './assets/run-view.css'
import './assets/sweeps.css'
import './assets/export.css'

createApp(App).use(createPinia()).use(router).mount('#app')
