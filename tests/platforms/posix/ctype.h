/* SPDX-License-Identifier: ISC */
/* Stand-in <ctype.h> for the platform checks (C99 7.4). */
#ifndef STANDIN_CTYPE_H
#define STANDIN_CTYPE_H
int isalnum(int c);
int isalpha(int c);
int isdigit(int c);
int isprint(int c);
int isspace(int c);
int isxdigit(int c);
int tolower(int c);
int toupper(int c);
#endif
