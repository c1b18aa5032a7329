#version 330 core
// Depth only: the lowest surface above each ground point wins the depth test.
void main() {
}
