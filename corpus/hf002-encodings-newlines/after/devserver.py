# -*- coding: latin-1 -*-
"""Servidor de desarrollo: ¡no usar en producción!"""


def run():
	if True:
		# señal de inicio
		print("arrancando")
