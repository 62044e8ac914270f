/** Black-box tests with real processes and real clients. */
package dev.cinnabar.it;
