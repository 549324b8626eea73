import React from 'react'
import { createRoot } from 'react-dom/client'

createRoot(document.getElementById('root')).render(<h1>Notes</h1>)
