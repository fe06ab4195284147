/* The embedded CPython's two ways in: a variant's child, and --python. */
#ifndef LOOPSCOPE_PYHOST_H
#define LOOPSCOPE_PYHOST_H

int	pyhost_child_main(int argc, char **argv);
int	pyhost_python_main(int argc, char **argv);

#endif
