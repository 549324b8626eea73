# -*- coding: latin-1 -*-
"""Servidor de desarrollo: ¡no usar en producción!"""
import uvicorn


def run():
	if True:
		# señal de inicio
		print("arrancando")
		uvicorn.run("main:app")
