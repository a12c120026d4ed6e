#include "app/cli.hpp"

int main(int argc, char** argv) { return cibench::cli_main(argc, argv); }
