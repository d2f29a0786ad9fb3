// Must stay the first import: it configures zod before src-shared builds its schemas.
import './lib/zod-jitless'
import { mount } from 'svelte'
import './styles/tokens.css'
import './styles/base.css'
import './styles/components.css'
import './lib/theme.svelte'
import App from './App.svelte'

const target = document.getElementById('app')
if (!target) throw new Error('RNN Lab: #app element missing from index.html')

export default mount(App, { target })
