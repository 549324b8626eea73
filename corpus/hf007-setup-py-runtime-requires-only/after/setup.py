from setuptools import find_packages, setup

REQUIREMENTS = [
    "fastapi>=0.110",
    "uvicorn[standard]>=0.29",
    "Markdown>=3.6",
]

setup(
    name="notes",
    version="1.0.0",
    packages=find_packages(exclude=["tests"]),
    install_requires=REQUIREMENTS,
    setup_requires=["setuptools>=69", "wheel", "setuptools-scm"],
    tests_require=["pytest", "respx"],
    extras_require={"dev": ["black", "mypy"]},
)
