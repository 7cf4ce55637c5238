/** One block of `couponhub demo` output: credentials and requests for one API family. */
export type DemoSection = (ctx: { baseUrl: string; now: number }) => { title: string; lines: string[] };
